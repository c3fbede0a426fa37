import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { FieldError, invalidProps } from "~/components/field-errors";
import { Thumbnail } from "~/components/thumbnail";
import type { FieldErrors } from "~/lib/field-errors";

interface Listed {
  /** Stable while the list is reordered, so an input keeps its focus and what was typed. */
  key: number;
  url: string;
}

/** Only what is plainly a web address is shown as a picture; the server judges the rest. */
const showable = (url: string) => /^https?:\/\/\S+$/i.test(url.trim());

/**
 * A product's images in order, the first the main one: each a thumbnail and its URL, which can be
 * edited, moved up or down and removed, and a field to add one. Every URL is an `images` input of
 * the form, in order, so the form works before scripts load too (edit, clear, or type a new one and
 * save); the buttons come alive with them.
 */
export function ImageGallery({ initial, errors }: { initial: readonly string[]; errors?: FieldErrors }) {
  const next = useRef(0);
  const listed = (url: string): Listed => ({ key: next.current++, url });
  const [images, setImages] = useState<Listed[]>(() => initial.map(listed));
  const [adding, setAdding] = useState("");
  const [live, setLive] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const root = useRef<HTMLFieldSetElement>(null);
  // After a move or a removal, where the keyboard continues: this button of that image, or the add field.
  const focusNext = useRef<string | null>(null);
  useEffect(() => setLive(true), []);
  useEffect(() => {
    if (!focusNext.current) return;
    root.current?.querySelector<HTMLElement>(focusNext.current)?.focus();
    focusNext.current = null;
  }, [images]);

  const move = (from: number, to: number, button: "up" | "down") => {
    const moved = [...images];
    const [image] = moved.splice(from, 1);
    moved.splice(to, 0, image!);
    // Past the list's end the other button is the one still enabled.
    const still = (to === 0 && button === "up") || (to === moved.length - 1 && button === "down") ? (button === "up" ? "down" : "up") : button;
    focusNext.current = `[data-image="${image!.key}"][data-action="${still}"]`;
    setAnnouncement(`Image moved to position ${to + 1} of ${moved.length}${to === 0 ? ", the main image" : ""}.`);
    setImages(moved);
  };
  const remove = (at: number) => {
    const left = images.filter((_, index) => index !== at);
    const neighbour = left[at] ?? left[at - 1];
    focusNext.current = neighbour ? `[data-image="${neighbour.key}"][data-action="remove"]` : "[data-action='add-url']";
    setAnnouncement(`Image ${at + 1} removed; ${left.length} left.`);
    setImages(left);
  };
  const add = () => {
    const urls = adding.split(/\s+/).filter(Boolean);
    if (urls.length === 0) return;
    focusNext.current = "[data-action='add-url']";
    setAnnouncement(`${urls.length === 1 ? "Image" : `${urls.length} images`} added as ${images.length + 1} of ${images.length + urls.length}.`);
    setImages([...images, ...urls.map(listed)]);
    setAdding("");
  };
  const addOnEnter = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter" || event.nativeEvent.isComposing) return;
    // Enter adds the image here rather than saving the whole product.
    event.preventDefault();
    add();
  };

  return (
    <fieldset className="image-gallery" ref={root}>
      <legend>Images, the main one first</legend>
      {images.length === 0 ? <p className="hint">No images yet.</p> : null}
      <ol className="gallery-list">
        {images.map((image, at) => (
          <li key={image.key}>
            {showable(image.url) ? <Thumbnail url={image.url.trim()} /> : <span className="thumb thumb-empty" aria-hidden="true" />}
            <input
              name="images"
              value={image.url}
              inputMode="url"
              spellCheck={false}
              autoComplete="off"
              aria-label={`Image ${at + 1}${at === 0 ? " (main)" : ""}`}
              onChange={(event) => {
                const url = event.currentTarget.value;
                setImages((now) => now.map((each) => (each.key === image.key ? { ...each, url } : each)));
              }}
            />
            <span className="gallery-actions">
              <GalleryButton
                image={image.key}
                action="up"
                disabled={!live || at === 0}
                onClick={() => move(at, at - 1, "up")}
                label={`Move image ${at + 1} up`}
              >
                ↑
              </GalleryButton>
              <GalleryButton
                image={image.key}
                action="down"
                disabled={!live || at === images.length - 1}
                onClick={() => move(at, at + 1, "down")}
                label={`Move image ${at + 1} down`}
              >
                ↓
              </GalleryButton>
              <GalleryButton image={image.key} action="remove" disabled={!live} onClick={() => remove(at)} label={`Remove image ${at + 1}`}>
                Remove
              </GalleryButton>
            </span>
          </li>
        ))}
      </ol>
      <div className="gallery-add">
        <label>
          Add an image URL
          <input
            name="images"
            value={adding}
            inputMode="url"
            spellCheck={false}
            autoComplete="off"
            placeholder="https://"
            data-action="add-url"
            onChange={(event) => setAdding(event.currentTarget.value)}
            onKeyDown={addOnEnter}
            {...invalidProps(errors, "images")}
          />
        </label>
        <button type="button" className="button" disabled={!live} onClick={add}>
          Add image
        </button>
      </div>
      <FieldError errors={errors} field="images" />
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </fieldset>
  );
}

/** One of an image's buttons; `data-image` and `data-action` are where the keyboard is put back after a move. */
function GalleryButton({
  image,
  action,
  disabled,
  onClick,
  label,
  children,
}: {
  image: number;
  action: "up" | "down" | "remove";
  disabled: boolean;
  onClick: () => void;
  label: string;
  children: ReactNode;
}) {
  return (
    <button type="button" className="button small" data-image={image} data-action={action} disabled={disabled} onClick={onClick} aria-label={label}>
      {children}
    </button>
  );
}
