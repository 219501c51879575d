/**
 * `node --import tsx run.ts <baseUrl> <adminToken> <portalToken> <day> <operatorId> <accountId>
 * <queryUrl> <tenantId>` — calls every operation of a running API through the typed client
 * (the query DSL on the server at queryUrl, whose data has tenantId) and prints one JSON
 * report line: per call the operationId, the status, the content type and the body. Exits 1
 * when a call did not answer 200 with the shape its type promises. The typed reads below are
 * the point: they compile only against precise generated types (a money amount is a string,
 * a rate may be null, a P95 carries its bound, a query body names a dataset the DSL has), and
 * the @ts-expect-error lines fail the compilation if a type degrades to `any`.
 */
import {
  anlytClient,
  getAccountUsage,
  getDeliveryBreakdown,
  getOperatorPerformance,
  getSummary,
  getThroughput,
  runQuery,
  type Money,
  type Problem,
  type QueryBody,
  type Window,
} from './anlyt-client.js';

const [baseUrl, adminToken, portalToken, day, operatorId, accountId, queryUrl, tenantId] =
  process.argv.slice(2);
if (
  !baseUrl ||
  !adminToken ||
  !portalToken ||
  !day ||
  !operatorId ||
  !accountId ||
  !queryUrl ||
  !tenantId
) {
  console.error(
    'usage: run.ts <baseUrl> <adminToken> <portalToken> <day> <operatorId> <accountId> <queryUrl> <tenantId>',
  );
  process.exit(2);
}

interface Outcome {
  operationId: string;
  status: number;
  contentType: string | null;
  body: unknown;
  failures: string[];
}
const report: Outcome[] = [];

function record(operationId: string, response: Response, body: unknown, checks: string[]) {
  const failures = [...checks];
  if (response.status !== 200) failures.push(`status ${response.status}`);
  if (body === undefined) failures.push('no typed body');
  report.push({
    operationId,
    status: response.status,
    contentType: response.headers.get('content-type'),
    body,
    failures,
  });
}

const MONEY = /^-?\d+\.\d{6}$/;
const moneyCheck = (what: string, m: Money) => (MONEY.test(m) ? [] : [`${what} ${m} is not Money`]);
const windowCheck = (w: Window) =>
  Date.parse(w.from) <= Date.parse(w.requestedFrom) ? [] : ['window not widened outward'];
const rateCheck = (what: string, r: number | null) =>
  r === null || (r >= 0 && r <= 1) ? [] : [`${what} ${r} is not a rate`];

const admin = anlytClient(baseUrl, adminToken);
const portal = anlytClient(baseUrl, portalToken);
const days = { from: day, to: day };

{
  const { data, response } = await getSummary(admin, days);
  const checks = data
    ? [
        ...moneyCheck('totalCost', data.totalCost),
        ...windowCheck(data.window),
        ...rateCheck('deliveryRate', data.deliveryRate),
        ...(data.p95.relativeErrorBound > 0 ? [] : ['p95 without its bound']),
        ...(typeof data.dataAsOf.billing === 'string' ? [] : ['no billing dataAsOf']),
      ]
    : [];
  // @ts-expect-error totalCost is a decimal string, never a number
  const asNumber: number | undefined = data?.totalCost;
  void asNumber;
  record('getPlatformSummary', response, data, checks);
}

for (const granularity of [undefined, 'daily'] as const) {
  const { data, response } = await getOperatorPerformance(admin, operatorId, days, granularity);
  const checks = data
    ? [
        ...moneyCheck('totalCost', data.totalCost),
        ...rateCheck('errorRate', data.errorRate),
        ...data.series.flatMap((p) => moneyCheck(`series ${p.at} totalCost`, p.totalCost)),
        ...(data.granularity === (granularity ?? 'hourly') ? [] : ['granularity not echoed']),
        ...(data.series.every((p) => p.p95.sampleSize >= 0) ? [] : ['bad p95 sample size']),
      ]
    : [];
  record('getOperatorPerformance', response, data, checks);
}

for (const [client, header] of [
  [admin, undefined],
  [portal, accountId],
] as const) {
  const { data, response } = await getAccountUsage(client, accountId, days, header);
  const checks = data
    ? [
        ...moneyCheck('totalCost', data.totalCost),
        ...(data.avgCostPerMessage === null ? [] : moneyCheck('avg', data.avgCostPerMessage)),
        ...data.daily.flatMap((d) => moneyCheck(`daily ${d.day} totalCost`, d.totalCost)),
        ...(data.accountId === accountId ? [] : ['another account answered']),
      ]
    : [];
  record('getAccountUsage', response, data, checks);
}

for (const query of [days, { resolution: '1m' as const, operatorId, from: `${day}T10:00:00Z` }]) {
  const { data, response } = await getThroughput(admin, { ...query, to: `${day}T23:00:00Z` });
  const checks = data
    ? [
        ...windowCheck(data.window),
        ...data.points.flatMap((p) => (p.billedMessages >= 1 ? [] : [`empty point ${p.at}`])),
        ...(data.resolution === ('resolution' in query ? query.resolution : '1h')
          ? []
          : ['resolution not echoed']),
      ]
    : [];
  record('getThroughput', response, data, checks);
}

{
  const { data, response } = await getDeliveryBreakdown(admin, days);
  const checks = data
    ? [
        ...data.byOperator.flatMap((o) => rateCheck(`${o.operatorId} share`, o.share)),
        ...(data.byStatus.DELIVERED >= 0 ? [] : ['no DELIVERED count']),
        ...(data.dataAsOf.dlr === null || typeof data.dataAsOf.dlr === 'string'
          ? []
          : ['bad dlr dataAsOf']),
      ]
    : [];
  record('getDeliveryBreakdown', response, data, checks);
}

const queryAdmin = anlytClient(queryUrl, adminToken);
const queryPortal = anlytClient(queryUrl, portalToken);

{
  // The day's DLRs in one row (no dimensions): the spec compares the count with the facts.
  const { data, response } = await runQuery(queryAdmin, {
    dataset: 'dlr',
    measures: ['dlrs', 'deliveryRate'],
    timeRange: days,
  });
  const checks = data
    ? [
        ...(data.rows.length === 1 ? [] : [`${data.rows.length} rows without a dimension`]),
        ...data.rows.flatMap((r) =>
          typeof r.deliveryRate === 'number' || r.deliveryRate === null
            ? rateCheck('deliveryRate', r.deliveryRate)
            : [`deliveryRate ${r.deliveryRate} is not a rate`],
        ),
        ...(data.nextCursor === null ? [] : ['a cursor after the only row']),
        ...(data.dataAsOf !== null && !Number.isNaN(Date.parse(data.dataAsOf))
          ? []
          : ['no dataAsOf']),
      ]
    : [];
  // @ts-expect-error a row carries the DSL's members only: QueryRow is closed (no msisdn)
  void data?.rows[0]?.msisdn;
  record('runQuery', response, data, checks);
}

{
  // @ts-expect-error 'sms' is not a dataset: the body's type is the DSL's schema
  const notABody: QueryBody = { dataset: 'sms', measures: ['dlrs'] };
  void notABody;
  // One tenant's cost per destination prefix, page after page through the cursors, each page
  // typed alike and its cost a Money string (the spec adds the pages up against the facts).
  const body: QueryBody = {
    dataset: 'cdr',
    measures: ['cdrs', 'cost'],
    dimensions: ['destinationPrefix'],
    timeRange: days,
    limit: 2,
  };
  let cursor: string | null = null;
  do {
    const { data, response } = await runQuery(queryPortal, { ...body, cursor }, tenantId);
    const checks = data
      ? data.rows.flatMap((r) =>
          typeof r.cost === 'string'
            ? moneyCheck(`${r.destinationPrefix} cost`, r.cost)
            : [`cost ${r.cost} is not Money`],
        )
      : [];
    record('runQuery', response, data, checks);
    cursor = data?.nextCursor ?? null;
  } while (cursor !== null);
}

{
  // A refusal of the POST is typed too: a portal caller that sends no X-Account-Id.
  const { error, response } = await runQuery(queryPortal, {
    dataset: 'dlr',
    measures: ['dlrs'],
    timeRange: days,
  });
  const problem: Problem | undefined = error;
  report.push({
    operationId: 'runQuery (portal, no X-Account-Id)',
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: problem,
    failures:
      response.status === 403 && problem?.code === 'FORBIDDEN' ? [] : ['no typed 403 Problem'],
  });
}

{
  // An error is typed too: the document's problem+json responses give it the Problem type.
  const { error, response } = await getSummary(anlytClient(baseUrl), days);
  const problem: Problem | undefined = error;
  const failures =
    response.status === 401 && problem?.code === 'UNAUTHORIZED' ? [] : ['no typed 401 Problem'];
  report.push({
    operationId: 'getPlatformSummary (no token)',
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: problem,
    failures,
  });
}

process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(report.some((r) => r.failures.length > 0) ? 1 : 0);
