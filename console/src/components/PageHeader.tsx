import type { ComponentChildren } from 'preact';

export interface PageHeaderProps {
  title: string;
  description?: ComponentChildren;
  /** Buttons and links on the right of the title. */
  children?: ComponentChildren;
}

/** The page's single h1; the router focuses it after each navigation so screen readers start at the new page. */
export function PageHeader({ title, description, children }: PageHeaderProps) {
  return (
    <header class="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {description ? <p class="page-description">{description}</p> : null}
      </div>
      {children ? <div class="page-actions">{children}</div> : null}
    </header>
  );
}
