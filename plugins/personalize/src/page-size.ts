/** The most a Personalize List* call returns a page: every listing of the plugin asks for it. */
export const pageSize = 100;
