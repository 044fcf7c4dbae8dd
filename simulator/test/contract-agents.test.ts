/**
 * Contract tests of the connection, health and agent operations of docs/contact-centre-api.yaml: each case on a real
 * simulator over HTTP, every response validated against the document (see contract-support.ts).
 */
import { AGENT_CASES } from './contract-cases-agents';
import { describeOperations } from './contract-support';

describeOperations(AGENT_CASES);
