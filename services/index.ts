// The ordered list of service plugins. Adding a service = one folder + one .prisma file + one line here.
import type { ServicePlugin } from '../src/core/plugin.js';
import { earlyYears } from './early-years/plugin.js';
import { send } from './send/plugin.js';
import { skills } from './skills/plugin.js';
import { troubledFamilies } from './troubled-families/plugin.js';
import { youthJustice } from './youth-justice/plugin.js';

export const allServices: ServicePlugin[] = [earlyYears, send, skills, youthJustice, troubledFamilies];
