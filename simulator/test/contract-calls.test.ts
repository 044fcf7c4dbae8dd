/**
 * Contract tests of the campaign, queue, call, callback and IVR operations of docs/contact-centre-api.yaml: each case on a real
 * simulator over HTTP, every response validated against the document (see contract-support.ts).
 */
import { CALL_CASES } from './contract-cases-calls';
import { describeOperations } from './contract-support';

describeOperations(CALL_CASES);
