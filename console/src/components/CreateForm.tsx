/** @module The panel form that creates one resource, and the page header whose button opens it. */
import type { ComponentChildren } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { z } from 'zod';
import { issuesToErrors, type FieldErrors } from '../lib/form-errors';
import { ErrorMessage } from './Feedback';
import { FormActions } from './Fields';
import { PageHeader, type PageHeaderProps } from './PageHeader';

/** What the fields render from: their values, a setter for some of them, and the schema's message for each path. */
export interface CreateFields<F> {
  values: F;
  set: (patch: Partial<F>) => void;
  errors: FieldErrors;
}

export interface CreateFormProps<F, T> {
  /** The panel's heading, which also names the form, e.g. "New API client". */
  title: string;
  /** The submit button's text, e.g. "Create client". */
  submit: string;
  /** Leads a failed request's message, e.g. "Could not create the user". */
  errorTitle?: string;
  narrow?: boolean;
  /** The fields' values when the form opens, and again after each create. */
  initial: F;
  /** The protocol schema the input must pass before anything is sent; its messages go next to the fields. */
  schema: z.ZodType<T>;
  /** The fields as the schema expects them (trimmed, numbers converted, unused ones left out). */
  toInput: (values: F) => unknown;
  /** Sends the checked input; a throw shows as the form's error and keeps what was typed. */
  onSubmit: (input: T) => Promise<unknown>;
  /**
   * Called on Cancel and after a create. A form opened from the page header (see `CreateHeader`) closes; one without
   * `onClose` stays on the page, empty again, and has no Cancel.
   */
  onClose?: () => void;
  children: (fields: CreateFields<F>) => ComponentChildren;
}

/**
 * Checks the fields against the same schema the backend uses, so mistakes show next to the fields before a request,
 * and shows what the backend still refuses (a taken name, a missing permission) at the top of the form.
 *
 * @example
 * <CreateForm title="New webhook" submit="Create webhook" initial={{ name: '' }} schema={WebhookInput}
 *   toInput={(f) => ({ name: f.name.trim() })} onSubmit={(input) => webhooksApi.create(input)} onClose={close}>
 *   {({ values, set, errors }) => <TextField label="Name" value={values.name} error={errors.name} onInput={(name) => set({ name })} />}
 * </CreateForm>
 */
export function CreateForm<F, T>({ title, submit, errorTitle, narrow, initial, schema, toInput, onSubmit, onClose, children }: CreateFormProps<F, T>) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const handleSubmit = async (event: Event) => {
    event.preventDefault();
    const parsed = schema.safeParse(toInput(values));
    if (!parsed.success) return setErrors(issuesToErrors(parsed.error.issues));
    setErrors({});
    setError(null);
    try {
      await onSubmit(parsed.data);
    } catch (e) {
      return setError(e);
    }
    setValues(initial);
    onClose?.();
  };
  return (
    <form class={narrow ? 'panel narrow' : 'panel'} onSubmit={handleSubmit} aria-labelledby={id} novalidate>
      <h2 id={id}>{title}</h2>
      <ErrorMessage error={error} title={errorTitle} />
      {children({ values, set: (patch) => setValues((v) => ({ ...v, ...patch })), errors })}
      {onClose ? (
        <FormActions submit={submit} onCancel={onClose} />
      ) : (
        <button type="submit" class="button primary">
          {submit}
        </button>
      )}
    </form>
  );
}

export interface CreateHeaderProps extends Omit<PageHeaderProps, 'children'> {
  /** The header's button that opens the form, e.g. "New user"; it is gone while the form is open. */
  newLabel: string;
  /** The form under the header, given what closes it (the `CreateForm`'s `onClose`). */
  form: (close: () => void) => ComponentChildren;
}

/** A list page's header whose button opens a `CreateForm` in place, under the header. */
export function CreateHeader({ newLabel, form, ...header }: CreateHeaderProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <PageHeader {...header}>
        {open ? null : (
          <button type="button" class="button primary" onClick={() => setOpen(true)}>
            {newLabel}
          </button>
        )}
      </PageHeader>
      {open ? form(() => setOpen(false)) : null}
    </>
  );
}
