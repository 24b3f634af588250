// GraphQL enums of the reporting engine: units, polarity, RAG, direction, quartile, breakdown dimensions
// and equality groups, target kinds. Names and values are part of the public contract.
import type { Builder } from '../../../builder.js';
import type { FigureSource } from '../area-figures.js';
import type { Direction, Quartile, TargetStatus } from '../engine.js';
import type { Dimension, Group, Polarity, Unit } from '../types.js';

const UNIT_DESCRIPTIONS: Record<Unit, string> = {
  PERCENT: 'Percentage: 100 × numerator / denominator.',
  COUNT: 'A count (the numerator); no denominator.',
  RATE_PER_10K: 'Rate per 10,000 of the population: 10,000 × numerator / denominator.',
  RATE_PER_100K: 'Rate per 100,000 of the population: 100,000 × numerator / denominator.',
  SCORE: 'A score: mean points per person (numerator = points, denominator = people).',
  AVERAGE_POINTS: 'Average points per person (numerator = points, denominator = people).',
};

const GROUP_DESCRIPTIONS: Record<Group, string> = {
  MALE: 'Boys and young men (compared with FEMALE).',
  FEMALE: 'Girls and young women (compared with MALE).',
  FSM: 'Eligible for free school meals in the period (compared with NOT_FSM).',
  NOT_FSM: 'Not eligible for free school meals (compared with FSM).',
  ANY_SEN: 'Any special educational need: SEN support or an EHC plan (compared with NO_SEN).',
  NO_SEN: 'No identified special educational need (compared with ANY_SEN).',
  SEN_SUPPORT: 'SEN support without an EHC plan (compared with NO_SEN).',
  EHCP: 'With an education, health and care plan (compared with NO_SEN).',
  IN_CARE: 'Looked after by the local authority (compared with NOT_IN_CARE).',
  NOT_IN_CARE: 'Not looked after (compared with IN_CARE).',
  EAL: 'English as an additional language (compared with NOT_EAL).',
  NOT_EAL: 'English as a first language (compared with EAL).',
};

export function registerReportingEnums(builder: Builder) {
  const IndicatorUnit = builder.enumType('IndicatorUnit', {
    description: 'What an indicator’s value measures, and so how it is computed and displayed.',
    values: Object.fromEntries(Object.entries(UNIT_DESCRIPTIONS).map(([k, d]) => [k, { description: d }])) as Record<
      Unit,
      { description: string }
    >,
  });
  const Polarity = builder.enumType('Polarity', {
    description: 'Which way is better, for RAG, direction of travel, rank and quartile.',
    values: {
      HIGH_IS_GOOD: { description: 'Higher values are better.' },
      LOW_IS_GOOD: { description: 'Lower values are better.' },
      NO_JUDGEMENT: { description: 'Neither: context only (no RAG, rank or quartile; direction NOT_COMPARABLE).' },
    } satisfies Record<Polarity, { description: string }>,
  });
  const TargetStatus = builder.enumType('TargetStatus', {
    description:
      'RAG against the target, judged by polarity on the displayed value; amber tolerance is 5% of the target unless the indicator says otherwise.',
    values: {
      GREEN: { description: 'Target met.' },
      AMBER: { description: 'Target missed by no more than the amber tolerance.' },
      RED: { description: 'Target missed by more than the amber tolerance.' },
      NO_TARGET: {
        description: 'No target for this area and period, or no value to judge (unavailable or suppressed).',
      },
    } satisfies Record<TargetStatus, { description: string }>,
  });
  const Direction = builder.enumType('Direction', {
    description: 'Direction of travel against the previous period of the same type.',
    values: {
      IMPROVING: { description: 'Moved the good way (by polarity).' },
      WORSENING: { description: 'Moved the bad way (by polarity).' },
      NO_CHANGE: { description: 'Equal at the displayed number of decimal places.' },
      NOT_COMPARABLE: {
        description:
          'No previous figure (period missing, unavailable or suppressed), or the indicator has no polarity.',
      },
    } satisfies Record<Direction, { description: string }>,
  });
  const Quartile = builder.enumType('Quartile', {
    description: 'Quartile band among all local authorities with the figure: rank r of n is in band ⌊(r − 1)·4 / n⌋.',
    values: {
      A: { description: 'Top quartile (best by polarity).' },
      B: { description: 'Second quartile.' },
      C: { description: 'Third quartile.' },
      D: { description: 'Bottom quartile.' },
    } satisfies Record<Quartile, { description: string }>,
  });
  const Dimension = builder.enumType('Dimension', {
    description: 'A breakdown dimension: person characteristics in the indicator’s period, or districts.',
    values: {
      SEX: { description: 'MALE, FEMALE (and UNKNOWN when not recorded).' },
      FSM: { description: 'FSM, NOT_FSM: free school meal eligibility in the period.' },
      SEN_STATUS: { description: 'NO_SEN, SEN_SUPPORT, EHCP: special educational needs in the period.' },
      IN_CARE: { description: 'IN_CARE, NOT_IN_CARE: looked after in the period.' },
      EAL: { description: 'EAL, NOT_EAL: English as an additional language.' },
      ETHNICITY_MAJOR: {
        description: 'DfE major ethnic group: WHITE, MIXED, ASIAN, BLACK, CHINESE, OTHER, UNCLASSIFIED.',
      },
      DISTRICT: { description: 'The districts of a local authority (a district: itself).' },
    } satisfies Record<Dimension, { description: string }>,
  });
  const Group = builder.enumType('Group', {
    description: 'An equality group, for gaps against its complement.',
    values: Object.fromEntries(Object.entries(GROUP_DESCRIPTIONS).map(([k, d]) => [k, { description: d }])) as Record<
      Group,
      { description: string }
    >,
  });
  const TargetKind = builder.enumType('TargetKind', {
    description: 'The kind of a target.',
    values: {
      TARGET: { description: 'The agreed target (used for RAG when present).' },
      MINIMUM: { description: 'A floor: the least acceptable value (used for RAG when there is no TARGET).' },
      STRETCH: { description: 'An ambitious target (used for RAG only when it is the only one).' },
    } as const,
  });
  const FigureSourceEnum = builder.enumType('FigureSource', {
    description: 'Where a figure comes from.',
    values: {
      RECORDS: { description: 'Computed from the directorate’s own records (an LA is the sum of its districts).' },
      PUBLISHED: { description: 'A published value stored as an Observation (national, neighbours, history).' },
    } satisfies Record<FigureSource, { description: string }>,
  });
  return { IndicatorUnit, Polarity, TargetStatus, Direction, Quartile, Dimension, Group, TargetKind, FigureSourceEnum };
}

export type ReportingEnums = ReturnType<typeof registerReportingEnums>;
