import type { ComponentChildren, JSX } from 'preact';
import { navigate } from '../stores/router';

export interface LinkProps extends Omit<JSX.HTMLAttributes<HTMLAnchorElement>, 'href'> {
  href: string;
  children: ComponentChildren;
}

/** An ordinary link that navigates in place; modified clicks (new tab, download) keep the browser's behaviour. */
export function Link({ href, children, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a {...rest} href={href} onClick={handleClick}>
      {children}
    </a>
  );
}
