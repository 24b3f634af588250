// GraphQL enums of the Early Years service: Ofsted registration types and inspection grades.
import type { Builder } from '../../src/builder.js';

export function registerEarlyYearsEnums(builder: Builder) {
  const settingType = builder.enumType('EarlyYearsSettingType', {
    description: 'Ofsted’s registration type of an early years setting.',
    values: {
      CHILDMINDER: { description: 'A registered childminder, working in their own home.' },
      NON_DOMESTIC: { description: 'Childcare on non-domestic premises: day nurseries, pre-schools, playgroups.' },
      DOMESTIC: { description: 'Childcare on domestic premises by four or more carers.' },
      NURSERY_SCHOOL: { description: 'A maintained nursery school.' },
    } as const,
  });
  const grade = builder.enumType('OfstedGrade', {
    description: 'Ofsted overall effectiveness grade (1 to 4).',
    values: {
      OUTSTANDING: { description: 'Grade 1: outstanding.' },
      GOOD: { description: 'Grade 2: good.' },
      REQUIRES_IMPROVEMENT: { description: 'Grade 3: requires improvement.' },
      INADEQUATE: { description: 'Grade 4: inadequate.' },
    } as const,
  });
  return { settingType, grade };
}

export type EarlyYearsEnums = ReturnType<typeof registerEarlyYearsEnums>;
