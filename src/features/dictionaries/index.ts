// Company dictionaries, wired. `repo.dictionaryValuesFor(ticketIds)` is what exports read.
import type { Db } from '../../store/db.js';
import { DictionaryRepository } from './repository.js';
import { dictionaryRoutes, type DictionaryRouteDeps } from './routes.js';

export { DictionaryRepository };
export type { ChosenValue } from './repository.js';

export function attachDictionaries(o: { db: Db } & Omit<DictionaryRouteDeps, 'repo'>) {
  const repo = new DictionaryRepository(o.db);
  return { repo, routes: dictionaryRoutes({ repo, requestState: o.requestState, tenantExists: o.tenantExists }) };
}
