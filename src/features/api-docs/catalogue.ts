// Every feature's API declaration, in the order /api/docs/ shows them. A new
// route needs its declaration here too: tests/security/openapi.test.ts walks
// the real router and fails on a route missing from this list.
import type { ApiSection } from '../../http/openapi/registry.js';
import { authApi, usersApi } from '../auth/openapi.js';
import { healthApi } from '../health/openapi.js';
import { callsApi } from '../calls/openapi.js';
import { callbacksApi } from '../callbacks/openapi.js';
import { operatorsApi } from '../operators/openapi.js';
import { linesApi, overflowGroupsApi } from '../lines/openapi.js';
import { tenantsApi } from '../tenants/openapi.js';
import { wallboardApi } from '../wallboard/openapi.js';
import { ticketsApi } from '../tickets/openapi.js';
import { requestsApi } from '../requests/openapi.js';
import { attachmentsApi } from '../attachments/openapi.js';
import { requestDocumentsApi } from '../request-documents/openapi.js';
import { categoriesApi } from '../categories/openapi.js';
import { dictionariesApi } from '../dictionaries/openapi.js';
import { directoryApi } from '../directory/openapi.js';
import { executorsApi, zonesApi, executorGroupsApi, reminderCallsApi } from '../executors/openapi.js';
import { executorAppApi } from '../executor-app/openapi.js';
import { journalApi } from '../journal/openapi.js';
import { reportsApi } from '../reports/openapi.js';
import { storageApi } from '../storage/openapi.js';
import { auditApi } from '../audit/openapi.js';
import { cloudPbxApi, webhooksApi } from '../external-calls/openapi.js';
import { trunksApi } from '../trunks/openapi.js';
import { bookingApi } from '../booking/openapi.js';
import { billingApi } from '../billing/openapi.js';
import { conversationApi, repliesApi, webFormApi } from '../../channels/openapi.js';
import { apiDocsApi } from './openapi.js';

export const apiCatalogue: readonly ApiSection[] = [
  authApi, usersApi, operatorsApi, tenantsApi, linesApi, overflowGroupsApi, trunksApi,
  callsApi, callbacksApi, wallboardApi,
  ticketsApi, requestsApi, attachmentsApi, requestDocumentsApi, categoriesApi, dictionariesApi, directoryApi,
  conversationApi, repliesApi, webFormApi, bookingApi, billingApi,
  executorsApi, zonesApi, executorGroupsApi, reminderCallsApi, executorAppApi,
  journalApi, reportsApi, storageApi, auditApi,
  cloudPbxApi, webhooksApi, healthApi, apiDocsApi,
];
