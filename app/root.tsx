import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import { ToastProvider } from "./components/toasts";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction = () => [{ title: "Product Importer" }];

export function Layout({ children }: { children: ReactNode }) {
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
          <nav aria-label="Main">
            <NavLink to="/products">Products</NavLink>
            <NavLink to="/imports">Imports</NavLink>
            <NavLink to="/webhooks">Webhooks</NavLink>
          </nav>
        </header>
        <ToastProvider>
          <main className="page">{children}</main>
        </ToastProvider>
        <ScrollRestoration />
        <Scripts />
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
