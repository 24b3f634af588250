// The youth justice vocabulary every part of the plugin shares: tiers, disposal types, which types belong to
// which tier, what is a substantive outcome and what is a court disposal. The indicators' SQL, the import's
// checks, the GraphQL enums and the seed all read these lists, so they cannot disagree.
import { Prisma } from '../../src/generated/prisma/client.js';

export const TIERS = ['PRE_COURT', 'FIRST_TIER', 'COMMUNITY', 'CUSTODY'] as const;
export type Tier = (typeof TIERS)[number];

export const DISPOSAL_TYPES = [
  'COMMUNITY_RESOLUTION',
  'YOUTH_CAUTION',
  'YOUTH_CONDITIONAL_CAUTION',
  'REFERRAL_ORDER',
  'REPARATION_ORDER',
  'YOUTH_REHABILITATION_ORDER',
  'DETENTION_AND_TRAINING_ORDER',
  'OTHER_CUSTODY',
  'OTHER_COURT',
] as const;
export type DisposalType = (typeof DISPOSAL_TYPES)[number];

/**
 * The tiers a disposal type may be recorded in (the Youth Justice Board's grouping). OTHER_COURT covers
 * first-tier disposals (discharges, fines, compensation orders) and the older community sentences, so it
 * may be FIRST_TIER or COMMUNITY; every other type has exactly one tier.
 */
export const TIERS_OF_TYPE: Record<DisposalType, readonly Tier[]> = {
  COMMUNITY_RESOLUTION: ['PRE_COURT'],
  YOUTH_CAUTION: ['PRE_COURT'],
  YOUTH_CONDITIONAL_CAUTION: ['PRE_COURT'],
  REFERRAL_ORDER: ['FIRST_TIER'],
  REPARATION_ORDER: ['FIRST_TIER'],
  YOUTH_REHABILITATION_ORDER: ['COMMUNITY'],
  DETENTION_AND_TRAINING_ORDER: ['CUSTODY'],
  OTHER_CUSTODY: ['CUSTODY'],
  OTHER_COURT: ['FIRST_TIER', 'COMMUNITY'],
};

/** Community resolutions are not substantive outcomes: they never make a first-time entrant or a re-offence. */
export const NOT_SUBSTANTIVE: DisposalType = 'COMMUNITY_RESOLUTION';
export const isSubstantive = (type: DisposalType) => type !== NOT_SUBSTANTIVE;

/** Disposals given by a court: every tier but PRE_COURT. */
export const COURT_TIERS: readonly Tier[] = ['FIRST_TIER', 'COMMUNITY', 'CUSTODY'];
export const isCourt = (tier: Tier) => COURT_TIERS.includes(tier);

/** SQL: the disposal aliased `alias` is a substantive outcome. */
export const substantiveSql = (alias: string) =>
  Prisma.raw(`${alias}."disposalType" <> '${NOT_SUBSTANTIVE}'::"YouthJusticeDisposalType"`);
