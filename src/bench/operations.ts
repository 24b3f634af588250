// The benchmark's five fixed operations: their GraphQL documents (bench/operations/*.graphql) and the
// variables they run with. One sample of an operation is a sequence of requests (records-page: the
// first page, then the next one with the first page's cursor).
import fs from 'node:fs';
import path from 'node:path';
import { type ASTNode, Kind, parse, print, visit } from 'graphql';
import { KENT, KENT_DISTRICTS } from '../core/demo-areas.js';

export const OPERATIONS_DIR = path.resolve(import.meta.dirname, '../../bench/operations');

/** The fixed parameters of the run: Kent, academic year 2016/17 (other period types aligned to it). */
export const PARAMS = {
  area: KENT,
  period: '2016/2017|AY',
  districts: KENT_DISTRICTS.map((d) => d.code),
  service: 'early-years',
  /** The service's indicators, by the document's variable names. */
  serviceIndicators: {
    gld: 'EY_GLD',
    takeUp: 'EY_TWO_YEAR_TAKE_UP',
    registration: 'EY_CENTRE_REGISTRATION',
    settings: 'EY_SETTINGS_GOOD_OUTSTANDING',
  },
  cohort: {
    key: 'send.withEhcp',
    period: '2016/2017|AY',
    with: 'troubledFamilies.onProgramme',
    withPeriod: '2016/2017|FY',
  },
  recordsPeriod: '2016/2017|AY',
} as const;

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
}

export type OperationName =
  | 'scorecard'
  | 'scorecard-districts'
  | 'service-breakdowns'
  | 'cohort-overlap'
  | 'records-page';
export const OPERATIONS: OperationName[] = [
  'scorecard',
  'scorecard-districts',
  'service-breakdowns',
  'cohort-overlap',
  'records-page',
];

export function operationDocument(name: OperationName): string {
  const text = fs.readFileSync(path.join(OPERATIONS_DIR, `${name}.graphql`), 'utf8');
  // The fragments it spreads, and those they spread, from fragments.graphql (unused ones are invalid).
  const shared = new Map(
    parse(fs.readFileSync(path.join(OPERATIONS_DIR, 'fragments.graphql'), 'utf8')).definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [],
    ),
  );
  const used = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = shared.get(spread.name.value);
        if (fragment && !used.has(spread.name.value)) {
          used.add(spread.name.value);
          collect(fragment);
        }
      },
    });
  collect(parse(text));
  return [text, ...[...used].map((n) => print(shared.get(n)!))].join('\n');
}

/** The requests of one sample; records-page needs the first page's cursor (`nextCursor`) for its second. */
export function operationRequests(name: OperationName, nextCursor?: string | null): GraphQLRequest[] {
  const query = operationDocument(name);
  switch (name) {
    case 'scorecard':
      return [{ query, variables: { area: PARAMS.area, period: PARAMS.period } }];
    case 'scorecard-districts':
      return [
        {
          query,
          variables: {
            period: PARAMS.period,
            ...Object.fromEntries(PARAMS.districts.map((code, i) => [`d${i + 1}`, code])),
          },
        },
      ];
    case 'service-breakdowns':
      return [{ query, variables: { area: PARAMS.area, period: PARAMS.period, ...PARAMS.serviceIndicators } }];
    case 'cohort-overlap':
      return [{ query, variables: { ...PARAMS.cohort, area: PARAMS.area } }];
    case 'records-page': {
      const first = { query, variables: { period: PARAMS.recordsPeriod, area: PARAMS.area, after: null } };
      if (nextCursor === undefined) return [first];
      return [first, { query, variables: { period: PARAMS.recordsPeriod, area: PARAMS.area, after: nextCursor } }];
    }
  }
}

/**
 * Limits of the benchmark's app: no rate limit (the load generator is one client), and room for the
 * district scorecard's 36 aliases (12 scorecards x their FSM and SEN gaps) over the default 30.
 */
export const BENCH_LIMITS = { ratePerWindow: { DIRECTORATE_ANALYST: 1_000_000_000 }, maxAliases: 64 };
