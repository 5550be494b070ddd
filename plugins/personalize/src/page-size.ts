/** The most a Personalize List* call returns a page (maxResults), for the listings that ask for full pages. */
export const pageSize = 100;
