/**
 * Examples for the OpenAPI document, taken from real responses: the API over the specs' data
 * set (test/insights-data.ts: @anlyt/traffic, seed 19, 4 tenants, 5 MNOs, 20–22 Nov 2026);
 * Redocly checks every one against its schema (conformance tests).
 */
import type { Static } from '@sinclair/typebox';
import type { Problem } from '../schemas/common.js';
import type { ProblemExamples } from '../schemas/examples.js';
import type { DataShareAddendumState, MnoQualityInsights } from './schemas.js';

interface Example<T> {
  summary: string;
  value: T;
}
type Examples<T> = Record<string, Example<T>>;

export const MNO_QUALITY_EXAMPLES: Examples<Static<typeof MnoQualityInsights>> = {
  anonymised: {
    summary:
      'A portal, ?from=2026-11-20&to=2026-11-22, no addendum on record (MNO-B carried only CDRs)',
    value: {
      window: {
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-23T00:00:00.000Z',
        requestedFrom: '2026-11-20T00:00:00.000Z',
        requestedTo: '2026-11-23T00:00:00.000Z',
      },
      mnos: [
        {
          label: 'MNO-A',
          mno: null,
          deliveryRate: 0.9833333333333333,
          dlrLatencyP95: 2622,
          sampleSize: 1380,
        },
        {
          label: 'MNO-B',
          mno: null,
          deliveryRate: null,
          dlrLatencyP95: null,
          sampleSize: 0,
          suppressed: true,
        },
        {
          label: 'MNO-C',
          mno: null,
          deliveryRate: 0.9039087947882736,
          dlrLatencyP95: 12190,
          sampleSize: 614,
        },
        {
          label: 'MNO-D',
          mno: null,
          deliveryRate: 0.8222748815165877,
          dlrLatencyP95: 31380,
          sampleSize: 422,
        },
        {
          label: 'MNO-E',
          mno: null,
          deliveryRate: 0.9313253012048193,
          dlrLatencyP95: 5619,
          sampleSize: 830,
        },
      ],
      dataAsOf: '2026-11-22T23:58:51.938Z',
    },
  },
  shared: {
    summary: 'The same question from a tenant with a data-share addendum on record',
    value: {
      window: {
        from: '2026-11-20T00:00:00.000Z',
        to: '2026-11-23T00:00:00.000Z',
        requestedFrom: '2026-11-20T00:00:00.000Z',
        requestedTo: '2026-11-23T00:00:00.000Z',
      },
      mnos: [
        {
          label: 'MNO-A',
          mno: 'mno-gh-01',
          deliveryRate: 0.8701298701298701,
          dlrLatencyP95: 36881,
          sampleSize: 231,
        },
        {
          label: 'MNO-B',
          mno: 'mno-ng-01',
          deliveryRate: 0.956989247311828,
          dlrLatencyP95: 5194,
          sampleSize: 372,
        },
        {
          label: 'MNO-C',
          mno: 'mno-za-01',
          deliveryRate: 0.859375,
          dlrLatencyP95: 10023,
          sampleSize: 192,
        },
        {
          label: 'MNO-D',
          mno: 'mno-ke-01',
          deliveryRate: 0.9759229534510433,
          dlrLatencyP95: 2582,
          sampleSize: 623,
        },
        {
          label: 'MNO-E',
          mno: 'mno-tz-01',
          deliveryRate: 0.8646288209606987,
          dlrLatencyP95: 19768,
          sampleSize: 229,
        },
      ],
      dataAsOf: '2026-11-22T23:58:51.938Z',
    },
  },
};

const SET_ENTRY = {
  action: 'SET' as const,
  reference: 'DSA-2026-0042',
  signedAt: '2026-11-18T09:30:00.000Z',
  actor: 'admin-dashboard',
  at: '2026-12-03T15:02:38.740Z',
};

export const ADDENDUM_EXAMPLES: Examples<Static<typeof DataShareAddendumState>> = {
  onRecord: {
    summary: 'After PUT { reference: "DSA-2026-0042", signedAt: "2026-11-18T09:30:00Z" }',
    value: {
      tenantId: 'acc_1003',
      addendum: {
        reference: 'DSA-2026-0042',
        signedAt: '2026-11-18T09:30:00.000Z',
        recordedBy: 'admin-dashboard',
        recordedAt: '2026-12-03T15:02:38.740Z',
      },
      history: [SET_ENTRY],
    },
  },
  revoked: {
    summary: 'After DELETE: none on record, the history keeps both changes',
    value: {
      tenantId: 'acc_1003',
      addendum: null,
      history: [SET_ENTRY, { ...SET_ENTRY, action: 'REVOKE', at: '2026-12-03T15:02:38.788Z' }],
    },
  },
  never: {
    summary: 'A tenant that never had one',
    value: { tenantId: 'acc_1001', addendum: null, history: [] },
  },
};

export const ADDENDUM_REQUEST_EXAMPLES = {
  signed: {
    summary: 'The addendum DSA-2026-0042, signed on 18 November 2026',
    value: { reference: 'DSA-2026-0042', signedAt: '2026-11-18T09:30:00Z' },
  },
};

const problemOf =
  (status: number, title: string, code: Static<typeof Problem>['code']) =>
  (detail: string): Static<typeof Problem> => ({
    type: 'about:blank',
    title,
    status,
    code,
    detail,
  });
const invalidWindow = problemOf(400, 'Bad Request', 'INVALID_WINDOW');
const invalidRequest = problemOf(400, 'Bad Request', 'INVALID_REQUEST');
const forbidden = problemOf(403, 'Forbidden', 'FORBIDDEN');

export const INSIGHTS_PROBLEM_EXAMPLES = {
  insights400: {
    tooLong: {
      summary: '?from=2026-01-01&to=2026-11-28',
      value: invalidWindow('window is 332 days; the maximum is 90'),
    },
    adminWithoutTenant: {
      summary: 'an admin caller without ?tenantId=',
      value: invalidRequest('admin callers must name the tenant: ?tenantId='),
    },
  },
  insights403: {
    noAccountHeader: {
      summary: 'a portal caller without X-Account-Id',
      value: forbidden('portal callers must send X-Account-Id'),
    },
    wrongRole: {
      summary: 'a regulator token',
      value: forbidden('role regulator may not call this endpoint'),
    },
  },
  adminOnly: {
    portal: {
      summary: 'a portal token',
      value: forbidden('role portal may not call this endpoint'),
    },
  },
  addendum400: {
    badTenant: {
      summary: 'a tenantId that is not an account id',
      value: invalidRequest('params/tenantId must match pattern "^[A-Za-z0-9_-]{1,64}$"'),
    },
  },
  addendumBody400: {
    unknownMember: {
      summary: 'a member the body does not have',
      value: invalidRequest('body must NOT have additional properties'),
    },
    future: {
      summary: 'signedAt in the future',
      value: invalidRequest('signedAt must be an RFC 3339 instant between 1970 and now'),
    },
  },
  addendum413: {
    bodyTooLarge: {
      summary: 'a body over 4096 bytes',
      value: problemOf(413, 'Payload Too Large', 'INVALID_REQUEST')('Request body is too large'),
    },
  },
  addendum404: {
    none: {
      summary: 'no addendum on record',
      value: problemOf(
        404,
        'Not Found',
        'NOT_FOUND',
      )('the tenant has no data-share addendum on record'),
    },
  },
} satisfies Record<string, ProblemExamples>;
