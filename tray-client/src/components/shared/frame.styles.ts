import { css } from 'lit';

/** The card every tray window is drawn as: the prompt, the tools and the help form. */
export const frameStyles = css`
  :host {
    display: block;
    font-family: system-ui, -apple-system, 'Segoe UI', sans-serif;
    color: #111;
    background: #fff;
    border-radius: 10px;
    box-shadow: 0 6px 24px rgb(0 0 0 / 18%);
    overflow: hidden;
  }
`;

/** The buttons of every tray window, in its accent (`--fixpoint-accent`). */
export const buttonStyles = css`
  button {
    font: inherit;
    border-radius: 6px;
    padding: 0.45rem 0.9rem;
    border: 1px solid #6b7280;
    background: #fff;
    color: #111;
    cursor: pointer;
  }
  button.primary {
    background: var(--fixpoint-accent);
    border-color: var(--fixpoint-accent);
    color: #fff;
  }
  button:focus-visible {
    outline: 3px solid var(--fixpoint-accent);
    outline-offset: 2px;
  }
`;
