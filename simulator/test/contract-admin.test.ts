/**
 * Contract tests of the recording, licence and integration settings operations of docs/contact-centre-api.yaml: each case on a real
 * simulator over HTTP, every response validated against the document (see contract-support.ts).
 */
import { ADMIN_CASES } from './contract-cases-admin';
import { describeOperations } from './contract-support';

describeOperations(ADMIN_CASES);
