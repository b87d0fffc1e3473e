// The categories master directory, wired.
import type { Db } from '../../store/db.js';
import { CategoryRepository } from './repository.js';
import { categoryRoutes } from './routes.js';

export function attachCategories(db: Db) {
  const repo = new CategoryRepository(db);
  return { repo, routes: categoryRoutes(repo) };
}
