/**
 * The router's own pages: unstyled HTML, as Heroku's router serves (Dev Center: error-pages).
 * Heroku's pages frame https://www.herokucdn.com/error-pages/<name>.html; hoku works offline,
 * so the framed page's words are inline here:
 *
 *   application-error  every router error (H10, H14, H20, ...), 503
 *   maintenance        H80, an app in maintenance mode, 503 ("Offline for Maintenance")
 *   no-such-app        a host that names no app, 404
 *   blank app          H81, an app with no release yet ("Welcome to your new app!")
 *   index              bare localhost: how to reach an app (hoku's own)
 *
 * An app's ERROR_PAGE_URL and MAINTENANCE_PAGE_URL config vars replace the first two: the
 * router then serves a page framing that URL, as Heroku does (Dev Center: error-pages).
 */

/** Heroku sends its error pages with these headers besides the type. */
const HEADERS = { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache, no-store" };

export function pageResponse(status: number, html: string): Response {
  return new Response(html, { status, headers: HEADERS });
}

function page(title: string, body: string, head = ""): string {
  return `<!DOCTYPE html>
<html>
  <head>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta charset="utf-8">
    <title>${title}</title>
${head}  </head>
  <body>
${body}
  </body>
</html>
`;
}

export const APPLICATION_ERROR_PAGE = page(
  "Application Error",
  `    <h1>Application error</h1>
    <p>An error occurred in the application and your page could not be served. If you are the application owner, check your logs for details. You can do this from the Heroku CLI with the command <code>heroku logs --tail</code></p>`,
);

export const MAINTENANCE_PAGE = page(
  "Offline for Maintenance",
  `    <h1>Offline for maintenance</h1>
    <p>This app is undergoing maintenance right now. Please check back later.</p>`,
);

/** The router's page when the app chose its own: the whole window is the app's URL. */
export function framedPage(title: string, url: string): string {
  const style = `    <style media="screen">
      html, body, iframe { margin: 0; padding: 0; }
      html, body { height: 100%; overflow: hidden; }
      iframe { width: 100%; height: 100%; border: 0; }
    </style>
`;
  return page(title, `    <iframe src="${escapeHtml(url)}"></iframe>`, style);
}

export const BLANK_APP_PAGE = page(
  "Heroku | Welcome to your new app!",
  `    <h1>Welcome to your new app!</h1>
    <p>Refer to the documentation if you need help deploying.</p>`,
);

export function noSuchAppPage(host: string): string {
  return page(
    "No such app",
    `    <h1>There's nothing here, yet.</h1>
    <p>No app answers at ${escapeHtml(host)}.</p>`,
  );
}

/** What `http://localhost:<port>/` shows: the address form, and each app's link if known. */
export function indexPage(port: number, apps: readonly string[] | undefined): string {
  const items = (apps ?? []).map((app) => {
    const url = escapeHtml(`http://${app}.localhost:${port}/`);
    return `      <li><a href="${url}">${url}</a></li>`;
  });
  const list = items.length > 0 ? `\n    <ul>\n${items.join("\n")}\n    </ul>` : apps ? "\n    <p>No apps yet.</p>" : "";
  return page(
    "hoku router",
    `    <h1>hoku router</h1>
    <p>Each app answers at <code>http://&lt;app&gt;.localhost:${port}/</code>.</p>${list}`,
  );
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}
