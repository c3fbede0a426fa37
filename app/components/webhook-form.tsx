import { Form, Link, useNavigation } from "@remix-run/react";
import { FieldError, FormError, invalidProps } from "~/components/field-errors";
import type { FieldErrors } from "~/lib/field-errors";
import { EVENT_TYPES, IN_FLIGHT_LIMITS } from "../../server/webhooks/webhook.schema";
import type { WebhookJson } from "../../server/webhooks/webhook-json";

const EVENT_LABELS: Record<(typeof EVENT_TYPES)[number], string> = {
  "product.created": "A product is created",
  "product.updated": "A product is updated",
  "product.deleted": "A product is deleted",
  "products.deleted_all": "All products are deleted",
  "products.bulk_updated": "Over 1,000 products are changed at once by a bulk action",
  "products.bulk_deleted": "Over 1,000 products are deleted at once",
  "import.completed": "An import completes",
  "import.failed": "An import fails",
  "import.reverted": "An import is undone",
  "webhook.disabled": "Another endpoint is switched off",
  "import.held": "A feed's file is held for review (past one of the feed's limits)",
  "feed.failed": "A feed's run fails",
};

export function WebhookForm({
  webhook,
  errors,
  values,
  cancelHref,
}: {
  webhook?: WebhookJson;
  errors?: FieldErrors;
  values?: { url: string; events: string[]; maxInFlight: string };
  cancelHref: string;
}) {
  const busy = useNavigation().state === "submitting";
  const chosen = values?.events ?? webhook?.events ?? [...EVENT_TYPES];
  return (
    <Form method="post" className="product-form" replace>
      <FormError errors={errors} />
      <label>
        Endpoint URL
        <input
          name="url"
          type="url"
          inputMode="url"
          placeholder="https://example.com/hooks/products"
          defaultValue={values?.url ?? webhook?.url ?? ""}
          required
          maxLength={2000}
          autoComplete="off"
          {...invalidProps(errors, "url")}
        />
      </label>
      <FieldError errors={errors} field="url" />
      <fieldset className="event-choices" {...(errors?.events ? { "aria-describedby": "events-error" } : {})}>
        <legend>Send these events</legend>
        {EVENT_TYPES.map((type) => (
          <label key={type} className="checkbox">
            <input type="checkbox" name="events" value={type} defaultChecked={chosen.includes(type)} />
            {/* One box beside the checkbox, so the words and the type's name wrap together on a phone. */}
            <span>
              {`${EVENT_LABELS[type]} `}
              <code>{type}</code>
            </span>
          </label>
        ))}
      </fieldset>
      <FieldError errors={errors} field="events" />
      <label>
        Requests at once
        <input
          name="maxInFlight"
          type="number"
          inputMode="numeric"
          min={IN_FLIGHT_LIMITS.min}
          max={IN_FLIGHT_LIMITS.max}
          defaultValue={values?.maxInFlight ?? webhook?.maxInFlight ?? IN_FLIGHT_LIMITS.default}
          {...invalidProps(errors, "maxInFlight")}
          // Described by its error (when it has one) and, always, by what the number means.
          aria-describedby={errors?.maxInFlight ? "maxInFlight-error maxInFlight-hint" : "maxInFlight-hint"}
        />
      </label>
      <FieldError errors={errors} field="maxInFlight" />
      <p className="hint field-hint" id="maxInFlight-hint">
        At most this many deliveries to this endpoint wait for an answer at once (per server process); the rest wait their turn without holding up
        other endpoints.
      </p>
      <div className="dialog-actions">
        <Link to={cancelHref} className="button" replace>
          Cancel
        </Link>
        <button type="submit" className="button primary" disabled={busy}>
          {webhook ? "Save" : "Add endpoint"}
        </button>
      </div>
    </Form>
  );
}
