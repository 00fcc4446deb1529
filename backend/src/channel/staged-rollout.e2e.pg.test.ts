import { stagedRolloutAgentsSuite } from '../testing/staged-rollout-agents-suite';

// The suite on a real PostgreSQL server, with two backend instances on one database and the agents split between them.
stagedRolloutAgentsSuite('postgres');
