// The active strings. Swap the imports for another language's modules
// (ru.ts: console and mobile page; ru-wallboard.ts: the supervisor's wallboard).
import { ru } from './ru.ts';

export const t = ru;
