// The «Заявка» of a request: rendered from its company's template (or the
// built-in one) on demand, and stored as an immutable attachment when a
// `document` stage rule fires (by default on handing the request to work).
import type { Clock } from '../../clock.js';
import { renderPdf, type PdfFonts } from '../../documents/pdf.js';
import { ApiError } from '../../http/errors.js';
import type { DocumentRepository, StoredDocument } from './repository.js';
import { defaultTemplate, fillTemplate, MAX_TEMPLATE_CHARS, templateSchema, unknownPlaceholders, type DocumentTemplate, type Values } from './template.js';
import { sampleValues, valuesOf } from './values.js';

/** Stores a file as the request's attachment (the attachments feature); returns its id. */
export type StoreAttachment = (ticketId: number, by: number, name: string, data: Buffer) => Promise<number>;

export class RequestDocumentService {
  constructor(
    private readonly repo: DocumentRepository,
    private readonly fonts: PdfFonts,
    private readonly clock: Clock,
    private readonly timeZone: string,
    private readonly store: StoreAttachment,
    private readonly stageName: (tenantId: number, kind: 'emergency' | 'planned', code: string) => string,
  ) {}

  /** A company's template: its saved one, else the built-in default. */
  template(tenantId: number): { template: DocumentTemplate; isDefault: boolean; updatedAt: string | null } {
    const row = this.repo.template(tenantId);
    if (row) {
      const parsed = templateSchema.safeParse(JSON.parse(row.body));
      if (parsed.success) return { template: parsed.data, isDefault: false, updatedAt: row.updatedAt };
    }
    return { template: defaultTemplate, isDefault: true, updatedAt: null };
  }

  /** Checks a template beyond its shape: placeholders known, total size. Throws 400 naming every problem. */
  check(t: DocumentTemplate): void {
    const problems = unknownPlaceholders(t);
    const size = JSON.stringify(t).length;
    if (size > MAX_TEMPLATE_CHARS) problems.push({ field: 'template', problem: `шаблон длиннее ${MAX_TEMPLATE_CHARS} символов (${size})` });
    if (problems.length) throw new ApiError(400, 'invalid_template', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
  }

  saveTemplate(tenantId: number, t: DocumentTemplate, by: number): void {
    this.check(t);
    this.repo.saveTemplate(tenantId, JSON.stringify(t), this.clock.now().toISOString(), by);
  }

  resetTemplate(tenantId: number): void {
    this.repo.deleteTemplate(tenantId);
  }

  private values(ticketId: number): { values: Values; number: string; tenantName: string } {
    const d = this.repo.data(ticketId);
    if (!d) throw new ApiError(404, 'not_found', 'request not found');
    return { values: valuesOf(d, { now: this.clock.now(), timeZone: this.timeZone, stageName: this.stageName(d.tenantId, d.kind, d.stage) }), number: d.number, tenantName: d.tenantName };
  }

  private pdf(t: DocumentTemplate, v: Values, tenantName: string): Promise<Buffer> {
    return renderPdf({ ...fillTemplate(t, v), info: { author: tenantName, subject: `Заявка ${v.number}`, creationDate: this.clock.now() } }, this.fonts);
  }

  /** The request's «Заявка» as it stands now, from its company's template. */
  async render(ticketId: number, tenantId: number): Promise<{ pdf: Buffer; name: string }> {
    const { values, number, tenantName } = this.values(ticketId);
    return { pdf: await this.pdf(this.template(tenantId).template, values, tenantName), name: `Заявка ${number}.pdf` };
  }

  /** A template (not yet saved) filled with a request's data or made-up values. */
  async preview(tenantId: number, t: DocumentTemplate, ticketId: number | null): Promise<Buffer> {
    this.check(t);
    const company = this.repo.tenantName(tenantId) ?? '';
    const values = ticketId !== null ? this.values(ticketId).values : sampleValues(company, this.clock.now(), this.timeZone);
    return this.pdf(t, values, company);
  }

  requestByNumber(tenantId: number, number: string): number | null {
    return this.repo.requestByNumber(tenantId, number);
  }

  /** The stage rule `document`: renders and stores the document as an attachment of the request. */
  async generate(ticketId: number, tenantId: number, stage: string, by: number): Promise<StoredDocument> {
    const { pdf, name } = await this.render(ticketId, tenantId);
    const attachmentId = await this.store(ticketId, by, name, pdf);
    const id = this.repo.addDocument(ticketId, attachmentId, stage, this.clock.now().toISOString());
    return this.repo.documents(ticketId).find((d) => d.id === id)!;
  }

  documents(ticketId: number): StoredDocument[] {
    return this.repo.documents(ticketId);
  }
}
