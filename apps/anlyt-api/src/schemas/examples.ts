/**
 * Examples for the OpenAPI document, taken from real responses: the API over a database the
 * real anlyt-consumer filled from @anlyt/traffic's generator (seed 7, 400 000 billed messages
 * over 26–28 Nov 2026, 5 operators, 800 accounts), asked at 2026-11-28T15:14:25.544Z; problem
 * bodies from the same API. Redocly's no-invalid-media-type-examples rule (conformance tests)
 * checks every one against its schema.
 */
import type { Static } from '@sinclair/typebox';
import type {
  AccountUsage,
  DeliveryBreakdown,
  OperatorPerformance,
  Summary,
  Throughput,
} from './bodies.js';
import type { Problem } from './common.js';

interface Example<T> {
  summary: string;
  value: T;
}
type Examples<T> = Record<string, Example<T>>;
export type ProblemExamples = Examples<Static<typeof Problem>>;

export const SUMMARY_EXAMPLES: Examples<Static<typeof Summary>> = {
  today: {
    summary: 'GET /summary (today so far)',
    value: {
      window: {
        from: '2026-11-28T00:00:00.000Z',
        to: '2026-11-28T16:00:00.000Z',
        requestedFrom: '2026-11-28T00:00:00.000Z',
        requestedTo: '2026-11-28T15:14:25.544Z',
      },
      totalMessages: 94851,
      deliveredMessages: 82458,
      failedMessages: 6831,
      deliveryRate: 0.9234956153613547,
      totalCost: '1559.946963',
      activeAccounts: 800,
      peakTps: 11,
      avgLatencyMs: 22088.2,
      p95LatencyMs: 10407.254076442296,
      p95: { valueMs: 10407.254076442296, relativeErrorBound: 0.01, sampleSize: 90105 },
      dataAsOf: { billing: '2026-11-28T14:36:59.801Z', dlr: '2026-11-28T15:14:23.714Z' },
      lagSeconds: 2245.743,
    },
  },
};

export const OPERATOR_PERFORMANCE_EXAMPLES: Examples<Static<typeof OperatorPerformance>> = {
  hourly: {
    summary:
      'GET /operators/mno-ke-01/performance?from=2026-11-28T11:00:00Z&to=2026-11-28T13:00:00Z',
    value: {
      operatorId: 'mno-ke-01',
      window: {
        from: '2026-11-28T11:00:00.000Z',
        to: '2026-11-28T13:00:00.000Z',
        requestedFrom: '2026-11-28T11:00:00.000Z',
        requestedTo: '2026-11-28T13:00:00.000Z',
      },
      granularity: 'hourly',
      totalMessages: 7179,
      deliveredMessages: 6649,
      failedMessages: 142,
      deliveryRate: 0.9790899720217936,
      errorRate: 0.02091002797820645,
      avgLatencyMs: 6896.1,
      p95LatencyMs: 2671.012821287517,
      p95: { valueMs: 2671.012821287517, relativeErrorBound: 0.01, sampleSize: 6814 },
      peakTps: 7,
      totalCost: '104.879327',
      series: [
        {
          at: '2026-11-28T11:00:00.000Z',
          totalMessages: 3550,
          deliveredMessages: 3302,
          failedMessages: 74,
          deliveryRate: 0.9780805687203792,
          errorRate: 0.021919431279620854,
          avgLatencyMs: 7213.4,
          p95LatencyMs: 2671.012821287517,
          p95: { valueMs: 2671.012821287517, relativeErrorBound: 0.01, sampleSize: 3387 },
          peakTps: 7,
          totalCost: '56.886648',
        },
        {
          at: '2026-11-28T12:00:00.000Z',
          totalMessages: 3629,
          deliveredMessages: 3347,
          failedMessages: 68,
          deliveryRate: 0.9800878477306003,
          errorRate: 0.019912152269399706,
          avgLatencyMs: 6582.4,
          p95LatencyMs: 2618.121478291724,
          p95: { valueMs: 2618.121478291724, relativeErrorBound: 0.01, sampleSize: 3427 },
          peakTps: 6,
          totalCost: '47.992679',
        },
      ],
      dataAsOf: { billing: '2026-11-28T14:36:59.801Z', dlr: '2026-11-28T15:14:23.714Z' },
      lagSeconds: 2245.743,
    },
  },
};

export const ACCOUNT_USAGE_EXAMPLES: Examples<Static<typeof AccountUsage>> = {
  threeDays: {
    summary: 'GET /accounts/acc_1755/usage?from=2026-11-26 (to now)',
    value: {
      accountId: 'acc_1755',
      window: {
        from: '2026-11-26T00:00:00.000Z',
        to: '2026-11-28T16:00:00.000Z',
        requestedFrom: '2026-11-26T00:00:00.000Z',
        requestedTo: '2026-11-28T15:14:25.544Z',
      },
      messagesSent: 67517,
      messagesDelivered: 58695,
      messagesFailed: 4842,
      deliveryRate: 0.9237924359034893,
      totalCost: '994.883759',
      avgCostPerMessage: '0.014735',
      daily: [
        {
          day: '2026-11-26',
          messagesSent: 25551,
          messagesDelivered: 22249,
          messagesFailed: 1837,
          deliveryRate: 0.923731628331811,
          totalCost: '375.233378',
        },
        {
          day: '2026-11-27',
          messagesSent: 25861,
          messagesDelivered: 22492,
          messagesFailed: 1859,
          deliveryRate: 0.9236581659890765,
          totalCost: '370.043563',
        },
        {
          day: '2026-11-28',
          messagesSent: 16105,
          messagesDelivered: 13954,
          messagesFailed: 1146,
          deliveryRate: 0.9241059602649007,
          totalCost: '249.606818',
        },
      ],
      dataAsOf: { billing: '2026-11-28T14:36:59.801Z', dlr: '2026-11-28T15:14:23.714Z' },
      lagSeconds: 2245.743,
    },
  },
  idle: {
    summary: 'An account with no data in the window: 200 with zeros, not 404',
    value: {
      accountId: 'acc_1999',
      window: {
        from: '2026-11-28T00:00:00.000Z',
        to: '2026-11-28T16:00:00.000Z',
        requestedFrom: '2026-11-28T00:00:00.000Z',
        requestedTo: '2026-11-28T15:14:25.544Z',
      },
      messagesSent: 0,
      messagesDelivered: 0,
      messagesFailed: 0,
      deliveryRate: null,
      totalCost: '0.000000',
      avgCostPerMessage: null,
      daily: [],
      dataAsOf: { billing: '2026-11-28T14:36:59.801Z', dlr: '2026-11-28T15:14:23.714Z' },
      lagSeconds: 2245.743,
    },
  },
};

export const THROUGHPUT_EXAMPLES: Examples<Static<typeof Throughput>> = {
  platform5m: {
    summary: 'GET /throughput?resolution=5m&from=2026-11-28T14:20:00Z',
    value: {
      window: {
        from: '2026-11-28T14:20:00.000Z',
        to: '2026-11-28T15:15:00.000Z',
        requestedFrom: '2026-11-28T14:20:00.000Z',
        requestedTo: '2026-11-28T15:14:25.544Z',
      },
      resolution: '5m',
      operatorId: null,
      points: [
        {
          at: '2026-11-28T14:20:00.000Z',
          billedMessages: 838,
          avgPerSecond: 2.7933333333333334,
          peakTps: 8,
        },
        {
          at: '2026-11-28T14:25:00.000Z',
          billedMessages: 785,
          avgPerSecond: 2.6166666666666667,
          peakTps: 9,
        },
        { at: '2026-11-28T14:30:00.000Z', billedMessages: 846, avgPerSecond: 2.82, peakTps: 9 },
        {
          at: '2026-11-28T14:35:00.000Z',
          billedMessages: 346,
          avgPerSecond: 1.1533333333333333,
          peakTps: 9,
        },
      ],
      dataAsOf: { billing: '2026-11-28T14:36:59.801Z' },
      lagSeconds: 2245.743,
    },
  },
  operator5m: {
    summary: 'GET /throughput?resolution=5m&operatorId=mno-ke-01&from=2026-11-28T14:20:00Z',
    value: {
      window: {
        from: '2026-11-28T14:20:00.000Z',
        to: '2026-11-28T15:15:00.000Z',
        requestedFrom: '2026-11-28T14:20:00.000Z',
        requestedTo: '2026-11-28T15:14:25.544Z',
      },
      resolution: '5m',
      operatorId: 'mno-ke-01',
      points: [
        {
          at: '2026-11-28T14:20:00.000Z',
          billedMessages: 277,
          avgPerSecond: 0.9233333333333333,
          peakTps: 5,
        },
        {
          at: '2026-11-28T14:25:00.000Z',
          billedMessages: 304,
          avgPerSecond: 1.0133333333333334,
          peakTps: 5,
        },
        {
          at: '2026-11-28T14:30:00.000Z',
          billedMessages: 289,
          avgPerSecond: 0.9633333333333334,
          peakTps: 4,
        },
        {
          at: '2026-11-28T14:35:00.000Z',
          billedMessages: 127,
          avgPerSecond: 0.42333333333333334,
          peakTps: 4,
        },
      ],
      dataAsOf: { billing: '2026-11-28T14:36:59.801Z' },
      lagSeconds: 2245.743,
    },
  },
};

export const DELIVERY_BREAKDOWN_EXAMPLES: Examples<Static<typeof DeliveryBreakdown>> = {
  today: {
    summary: 'GET /delivery-breakdown (today so far)',
    value: {
      window: {
        from: '2026-11-28T00:00:00.000Z',
        to: '2026-11-28T16:00:00.000Z',
        requestedFrom: '2026-11-28T00:00:00.000Z',
        requestedTo: '2026-11-28T15:14:25.544Z',
      },
      byStatus: {
        DELIVERED: 82458,
        FAILED: 3248,
        EXPIRED: 831,
        REJECTED: 1226,
        UNDELIVERABLE: 1526,
        UNKNOWN: 816,
      },
      byOperator: [
        {
          operatorId: 'mno-ke-01',
          delivered: 31781,
          failed: 601,
          unknown: 68,
          total: 32450,
          deliveryRate: 0.98144030634303,
          share: 0.3626650539260155,
        },
        {
          operatorId: 'mno-ng-01',
          delivered: 18575,
          failed: 1113,
          unknown: 158,
          total: 19846,
          deliveryRate: 0.9434681023973994,
          share: 0.2204974856925265,
        },
        {
          operatorId: 'mno-za-01',
          delivered: 13405,
          failed: 1505,
          unknown: 141,
          total: 15051,
          deliveryRate: 0.8990610328638498,
          share: 0.1669858549205389,
        },
        {
          operatorId: 'mno-gh-01',
          delivered: 10295,
          failed: 1774,
          unknown: 222,
          total: 12291,
          deliveryRate: 0.8530118485375756,
          share: 0.13516782582400969,
        },
        {
          operatorId: 'mno-tz-01',
          delivered: 8402,
          failed: 1838,
          unknown: 227,
          total: 10467,
          deliveryRate: 0.8205078125,
          share: 0.11468377963690936,
        },
      ],
      dataAsOf: { dlr: '2026-11-28T15:14:23.714Z' },
      lagSeconds: 1.83,
    },
  },
};

const problemOf =
  (status: number, title: string, code: Static<typeof Problem>['code']) =>
  (detail?: string): Static<typeof Problem> => ({
    type: 'about:blank',
    title,
    status,
    code,
    ...(detail === undefined ? {} : { detail }),
  });
const invalidWindow = problemOf(400, 'Bad Request', 'INVALID_WINDOW');
const invalidRequest = problemOf(400, 'Bad Request', 'INVALID_REQUEST');
const unauthorized = problemOf(401, 'Unauthorized', 'UNAUTHORIZED');
const forbidden = problemOf(403, 'Forbidden', 'FORBIDDEN');

export const PROBLEM_EXAMPLES = {
  400: {
    invalidWindow: {
      summary: '?from=2026-11-28&to=2026-11-27 (a date-only to is the end of that day)',
      value: invalidWindow(
        'from (2026-11-28T00:00:00.000Z) must be before to (2026-11-28T00:00:00.000Z)',
      ),
    },
    tooLong: {
      summary: '?from=2026-01-01&to=2026-11-28',
      value: invalidWindow('window is 332 days; the maximum is 90'),
    },
    invalidRequest: {
      summary: 'a parameter outside its schema (e.g. /throughput?resolution=15m)',
      value: invalidRequest('querystring/resolution must be equal to one of the allowed values'),
    },
  },
  401: {
    noToken: {
      summary: 'no bearer token (WWW-Authenticate: Bearer realm="anlyt-api")',
      value: unauthorized('a bearer token is required'),
    },
    invalidToken: {
      summary:
        'a bad, expired or unknown-role token (WWW-Authenticate: Bearer realm="anlyt-api", error="invalid_token")',
      value: unauthorized('the bearer token is not valid'),
    },
  },
  403: {
    wrongRole: {
      summary: 'a portal token on an admin operation',
      value: forbidden('role portal may not call this endpoint'),
    },
  },
  404: {
    unknownOperator: {
      summary: 'an operator never seen in any event',
      value: problemOf(404, 'Not Found', 'NOT_FOUND')('no data for operator mno-xx-99'),
    },
  },
  500: {
    internal: {
      summary: 'an unexpected failure',
      value: problemOf(500, 'Internal Server Error', 'INTERNAL')(),
    },
  },
  accountForbidden: {
    noAccountHeader: {
      summary: 'a portal caller without X-Account-Id',
      value: forbidden('portal callers must send X-Account-Id'),
    },
    otherAccount: {
      summary: "a portal caller asking for another account's usage",
      value: forbidden('X-Account-Id does not match the account'),
    },
    wrongRole: {
      summary: 'a regulator token',
      value: forbidden('role regulator may not call this endpoint'),
    },
  },
  413: {
    resultTooLarge: {
      summary: 'a query of more than 1 000 000 rows',
      value: problemOf(
        413,
        'Payload Too Large',
        'RESULT_TOO_LARGE',
      )(
        'the query matches more than 1000000 rows; narrow it (filters, a shorter timeRange, fewer dimensions)',
      ),
    },
  },
  415: {
    unsupportedMediaType: {
      summary: 'Content-Type: application/xml',
      value: problemOf(415, 'Unsupported Media Type', 'INVALID_REQUEST')('Unsupported Media Type'),
    },
  },
  query400: {
    unknownMember: {
      summary: 'a member the body schema does not have',
      value: invalidRequest('body must NOT have additional properties'),
    },
    unknownMeasure: {
      summary: 'a measure the dataset does not have',
      value: invalidRequest(
        'dataset dlr has no measure revenue; its measures: dlrs, delivered, failed, deliveryRate, avgLatencyMs, p50LatencyMs, p95LatencyMs, p99LatencyMs',
      ),
    },
    windowTooLong: {
      summary: 'a timeRange over 366 days',
      value: invalidWindow('window is 699 days; the maximum is 366'),
    },
  },
  query413: {
    resultTooLarge: {
      summary: 'a query of more than 1 000 000 rows',
      value: problemOf(
        413,
        'Payload Too Large',
        'RESULT_TOO_LARGE',
      )(
        'the query matches more than 1000000 rows; narrow it (filters, a shorter timeRange, fewer dimensions)',
      ),
    },
    bodyTooLarge: {
      summary: 'a body over 1 MiB',
      value: problemOf(413, 'Payload Too Large', 'INVALID_REQUEST')('Request body is too large'),
    },
  },
  503: {
    unavailable: {
      summary: 'ClickHouse down, overloaded or too slow',
      value: problemOf(
        503,
        'Service Unavailable',
        'UNAVAILABLE',
      )('the analytics store did not answer; retry'),
    },
  },
  queryForbidden: {
    portalTenant: {
      summary: 'a portal body naming tenantId',
      value: forbidden(
        'tenantId is an admin dimension; a portal query is scoped to its X-Account-Id',
      ),
    },
    noAccountHeader: {
      summary: 'a portal caller without X-Account-Id',
      value: forbidden('portal callers must send X-Account-Id'),
    },
  },
} satisfies Record<string, ProblemExamples>;
