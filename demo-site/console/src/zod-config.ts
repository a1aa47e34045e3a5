// Imported first by main.tsx, before any module that builds or parses a schema. zod 4 compiles object parsers
// with `new Function` when it may; its probe alone is a CSP violation under the console's policy (no
// 'unsafe-eval'), so the console parses without eval — its answers are small, the difference unmeasurable.
import { z } from 'zod';

z.config({ jitless: true });
