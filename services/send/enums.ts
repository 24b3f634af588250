// GraphQL enums of the SEND service: primary type of need (DfE codes), assessment outcomes, provision types.
import type { Builder } from '../../src/builder.js';

export function registerSendEnums(builder: Builder) {
  const need = builder.enumType('SenPrimaryNeed', {
    description: 'Primary type of special educational need, with the DfE’s SEN2 / school census codes.',
    values: {
      ASD: { description: 'Autistic spectrum disorder.' },
      SLCN: { description: 'Speech, language and communication needs.' },
      SEMH: { description: 'Social, emotional and mental health.' },
      MLD: { description: 'Moderate learning difficulty.' },
      SLD: { description: 'Severe learning difficulty.' },
      PMLD: { description: 'Profound and multiple learning difficulty.' },
      SPLD: { description: 'Specific learning difficulty.' },
      HI: { description: 'Hearing impairment.' },
      VI: { description: 'Visual impairment.' },
      MSI: { description: 'Multi-sensory impairment.' },
      PD: { description: 'Physical disability.' },
      OTH: { description: 'Other difficulty or disability.' },
    } as const,
  });
  const outcome = builder.enumType('EhcAssessmentOutcome', {
    description: 'Where an EHC needs assessment ended up.',
    values: {
      ISSUED: { description: 'A final EHC plan was issued.' },
      NOT_ISSUED: { description: 'The council decided not to assess, or assessed and decided not to issue a plan.' },
      IN_PROGRESS: { description: 'Not concluded yet.' },
      WITHDRAWN: { description: 'The request was withdrawn.' },
    } as const,
  });
  const provisionType = builder.enumType('SpecialistProvisionType', {
    description: 'Kind of specialist provision.',
    values: {
      SPECIAL_SCHOOL: { description: 'A special school.' },
      SRP: { description: 'A specialist resourced provision in a mainstream school.' },
      SATELLITE: { description: 'A satellite of a special school on a mainstream site.' },
    } as const,
  });
  return { need, outcome, provisionType };
}

export type SendEnums = ReturnType<typeof registerSendEnums>;
