// Imported first by the form page: zod must not probe `new Function` (an
// eval the page's CSP forbids) when the shared schemas are built at import.
import { config } from 'zod';

config({ jitless: true });
