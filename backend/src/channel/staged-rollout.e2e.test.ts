import { stagedRolloutAgentsSuite } from '../testing/staged-rollout-agents-suite';

// The suite on PGlite, one backend instance.
stagedRolloutAgentsSuite('pglite');
