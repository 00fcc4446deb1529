import { publisherSignatureSuite } from '../testing/publisher-signature-suite';

// The suite on a real PostgreSQL server: approvals, signatures and refusals stored there.
publisherSignatureSuite('postgres');
