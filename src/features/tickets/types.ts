// Requests as the API returns them; types only, shared with the browser pages.

export interface TicketCategory { id: number; code: string; name: string; kind: 'emergency' | 'planned'; deadlineMinutes: number | null; source: string | null }

export interface Ticket {
  id: number;
  number: string;
  tenantId: number;
  tenantName: string;
  kind: 'emergency' | 'planned';
  category: { id: number; code: string; name: string };
  description: string;
  accountNumber: string | null;
  address: string;
  flat: string | null;
  callerName: string | null;
  callerPhone: string | null;
  anonymousCaller: string | null;
  status: 'open' | 'closed';
  createdBy: { id: number; name: string };
  createdAt: string;
  dueAt: string | null;
  closedAt: string | null;
  callIds: string[];
}
