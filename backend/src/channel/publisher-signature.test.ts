import { publisherSignatureSuite } from '../testing/publisher-signature-suite';

// The suite on PGlite.
publisherSignatureSuite('pglite');
