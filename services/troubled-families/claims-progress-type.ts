// GraphQL: ClaimsProgress, the payment-by-results claims table a council returns each quarter: windows in
// submission order, one row per district, and the total against the local authority's own targets.
import type { Builder } from '../../src/builder.js';
import type { ClaimsProgressData, ClaimsProgressRowData, WindowClaims } from './claims-progress-data.js';

export function registerClaimsProgress(builder: Builder) {
  const ClaimWindowCount = builder.objectRef<WindowClaims>('ClaimWindowCount').implement({
    description: 'Valid claims submitted in one claim window.',
    fields: (t) => ({
      window: t.string({ description: 'Claim window label, e.g. `JAN 17`.', resolve: (w) => w.window }),
      claims: t.int({ description: 'Valid (not rejected) claims submitted in the window.', resolve: (w) => w.claims }),
    }),
  });

  const ClaimsProgressRow = builder.objectRef<ClaimsProgressRowData>('ClaimsProgressRow').implement({
    description:
      'One line of the claims table: a district, or the total (area null). Claims count families claimed for, as returned to the government department and published; they are not counts of children, so no small-number suppression applies.',
    fields: (t) => ({
      area: t.prismaField({
        type: 'Area',
        nullable: true,
        description: 'The district; null on the total line.',
        resolve: (_query, r) => r.area,
      }),
      previousYearClaims: t.int({
        description: 'Valid claims submitted in the previous financial year.',
        resolve: (r) => r.previousYearClaims,
      }),
      byWindow: t.field({
        type: [ClaimWindowCount],
        description: 'Valid claims in each of the table’s windows, in submission order (zero where none).',
        resolve: (r) => r.byWindow,
      }),
      claims: t.int({
        description: 'Valid claims submitted in the financial year (every window; rejected claims never count).',
        resolve: (r) => r.claims,
      }),
      minimumTarget: t.float({
        nullable: true,
        description:
          'The MINIMUM target of TF_CLAIMS for the year (may be fractional for a district); null when none is set.',
        resolve: (r) => r.minimumTarget,
      }),
      stretchTarget: t.float({
        nullable: true,
        description: 'The STRETCH target of TF_CLAIMS for the year; null when none is set.',
        resolve: (r) => r.stretchTarget,
      }),
      percentOfMinimum: t.float({
        nullable: true,
        description: '100 × claims ÷ minimumTarget, unrounded; null without a target.',
        resolve: (r) => r.percentOfMinimum,
      }),
      percentOfStretch: t.float({
        nullable: true,
        description: '100 × claims ÷ stretchTarget, unrounded; null without a target.',
        resolve: (r) => r.percentOfStretch,
      }),
    }),
  });

  return builder.objectRef<ClaimsProgressData>('ClaimsProgress').implement({
    description:
      'Payment-by-results claims against targets for one financial year: the council’s quarterly return, one row per district.',
    fields: (t) => ({
      period: t.string({ description: 'The financial year, e.g. `2016/2017|FY`.', resolve: (c) => c.period }),
      windows: t.stringList({
        description: 'Claim windows with claims submitted in the year, in submission order.',
        resolve: (c) => c.windows,
      }),
      rows: t.field({
        type: [ClaimsProgressRow],
        description: 'One row per district, by name (a single row when the area is a district).',
        resolve: (c) => c.rows,
      }),
      total: t.field({
        type: ClaimsProgressRow,
        description: 'The area’s total, against its own targets; `area` is null.',
        resolve: (c) => c.total,
      }),
    }),
  });
}
