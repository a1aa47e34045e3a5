// Every fast-check property in the suite runs from one seed: CHATIVE_FUZZ_SEED replays a failure
// (fast-check prints the seed in its failure message; tests/server/security/fuzz.test.ts prints it always).
import fc from 'fast-check';

const seed = Number(process.env.CHATIVE_FUZZ_SEED ?? Date.now() % 2 ** 31);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
