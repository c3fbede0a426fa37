import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { ToastProvider } from "./components/toasts";
import { useNonce } from "./lib/nonce";
import { takeToast } from "./lib/toast.server";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "Product Importer" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  const { toast, headers } = await takeToast(request);
  return data(
    {
      passwordRequired: context.access.enabled,
      toast,
      webhookAlerts: await webhookAlerts(context),
      feedAlerts: await feedAlerts(context),
      currency: context.settings.currency,
      fields: await customFields(context),
    },
    { headers },
  );
}

/** Endpoints failing for over an hour or switched off: said on every page, to whoever may see them. */
async function webhookAlerts(context: LoaderFunctionArgs["context"]) {
  if (context.access.enabled && !(await context.access.hasSession())) return 0;
  // A banner is not worth failing a page for.
  return (await context.trpc.webhooks.alerts({}).catch(() => ({ endpoints: [] }))).endpoints.length;
}

/** Feeds whose last three runs failed, and feeds whose changed file waits for a person: said on every page. */
async function feedAlerts(context: LoaderFunctionArgs["context"]) {
  if (context.access.enabled && !(await context.access.hasSession())) return { failing: 0, held: 0 };
  const alerts = await context.trpc.feeds.alerts({}).catch(() => ({ failing: [], held: [] }));
  return { failing: alerts.failing.length, held: alerts.held.length };
}

/** The team's own fields: every page that shows, filters, edits or maps a product's values names them. */
async function customFields(context: LoaderFunctionArgs["context"]) {
  if (context.access.enabled && !(await context.access.hasSession())) return [];
  return context.trpc.fields.list({}).catch(() => []);
}

// The flash cookie's toast must reach every page, and whichever route set it.
export const headers: HeadersFunction = ({ loaderHeaders, actionHeaders }) => {
  const merged = new Headers(actionHeaders);
  loaderHeaders.forEach((value, key) => merged.append(key, value));
  return merged;
};

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const root = useRouteLoaderData<typeof loader>("root");
  const passwordRequired = root?.passwordRequired ?? false;
  const onLoginPage = useLocation().pathname === "/login";
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="topbar">
          <a className="brand" href="/">
            Product Importer
          </a>
          {onLoginPage ? null : (
            <nav aria-label="Main">
              <NavLink to="/products">Products</NavLink>
              <NavLink to="/imports">Imports</NavLink>
              <NavLink to="/feeds">Feeds</NavLink>
              <NavLink to="/fields">Fields</NavLink>
              <NavLink to="/webhooks">Webhooks</NavLink>
              <NavLink to="/access">Access</NavLink>
            </nav>
          )}
          {passwordRequired && !onLoginPage ? (
            <Form method="post" action="/logout" className="logout" reloadDocument>
              <button type="submit" className="button-link">
                Log out
              </button>
            </Form>
          ) : null}
        </header>
        {root?.webhookAlerts && !onLoginPage ? (
          <p className="alert-banner" role="status">
            <Link to="/webhooks">
              {root.webhookAlerts === 1 ? "A webhook endpoint needs attention" : `${root.webhookAlerts} webhook endpoints need attention`}
            </Link>
            : deliveries are failing or were switched off.
          </p>
        ) : null}
        {root?.feedAlerts.failing && !onLoginPage ? (
          <p className="alert-banner" role="status">
            <Link to="/feeds">{root.feedAlerts.failing === 1 ? "A feed needs attention" : `${root.feedAlerts.failing} feeds need attention`}</Link>:
            its last three runs failed.
          </p>
        ) : null}
        {root?.feedAlerts.held && !onLoginPage ? (
          <p className="alert-banner held-banner" role="status">
            <Link to="/feeds">
              {root.feedAlerts.held === 1 ? "A feed's file waits for review" : `${root.feedAlerts.held} feeds' files wait for review`}
            </Link>
            : it went past the feed&apos;s limits, so it was not applied.
          </p>
        ) : null}
        <ToastProvider flash={root?.toast}>
          <main className="page">{children}</main>
        </ToastProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  const detail = isRouteErrorResponse(error) ? String(error.data) : "The page could not be shown. Try again in a moment.";
  return (
    <section className="panel">
      <h1>{title}</h1>
      <p>{detail}</p>
    </section>
  );
}
