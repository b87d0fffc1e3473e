// Which kinds of request a category fits: its own kind, or either when it is
// 'both'. A subcategory never fits more than its parent.
export type CategoryKind = 'emergency' | 'planned' | 'both';
export type RequestKindOf = 'emergency' | 'planned';

export const fitsKind = (category: CategoryKind, request: RequestKindOf): boolean => category === 'both' || category === request;

/** A subcategory's kind must lie within its parent's. */
export const withinParent = (child: CategoryKind, parent: CategoryKind): boolean => parent === 'both' || child === parent;

const kindName: Record<CategoryKind, string> = { emergency: 'аварийных', planned: 'плановых', both: 'любых' };
const requestName: Record<RequestKindOf, string> = { emergency: 'аварийной', planned: 'плановой' };

/** The 400's words when a request's category does not fit its kind. */
export const kindMismatch = (name: string, category: CategoryKind, request: RequestKindOf): string =>
  `категория «${name}» — для ${kindName[category]} заявок, её нельзя выбрать для ${requestName[request]}`;
