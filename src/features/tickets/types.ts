// Requests as the API returns them; types only, shared with the browser pages.

/** A category of the master directory; 'both' fits either kind of request; parentId: a subcategory's parent. */
export interface TicketCategory { id: number; code: string; name: string; kind: 'emergency' | 'planned' | 'both'; deadlineMinutes: number | null; source: string | null; parentId: number | null; specialityId: number | null }

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
