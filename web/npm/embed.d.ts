/** Turns every compose snippet under `root` (`pre.composex`, `script[type="text/x-compose"]`)
 *  into a live example; resolves with how many it mounted. Importing the module runs it once
 *  over the whole document. */
export function renderSnippets(root?: ParentNode): Promise<number>;
