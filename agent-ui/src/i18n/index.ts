// The active strings. Swap the import for another language module.
import { ru } from './ru.ts';

export const t = ru;
