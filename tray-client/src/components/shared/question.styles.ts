import { css } from 'lit';

/** What every question shares: text, focus rings that keyboard users can see, and no motion when it is unwanted. */
export const questionStyles = css`
  :host {
    display: block;
    font: inherit;
    color: inherit;
  }
  :host([hidden]) {
    display: none;
  }
  .text {
    margin: 0 0 0.75rem;
    line-height: 1.45;
  }
  .text p {
    margin: 0 0 0.5rem;
  }
  .text a {
    color: var(--fixpoint-accent, #2563eb);
  }
  :focus-visible {
    outline: 3px solid var(--fixpoint-accent, #2563eb);
    outline-offset: 2px;
  }
  .option {
    cursor: pointer;
    border: 1px solid #8a8f98;
    border-radius: 6px;
    padding: 0.5rem 0.75rem;
    background: #fff;
    color: #111;
    transition: background-color 120ms ease, border-color 120ms ease;
  }
  .option[aria-checked='true'] {
    border-color: var(--fixpoint-accent, #2563eb);
    background: color-mix(in srgb, var(--fixpoint-accent, #2563eb) 14%, white);
    font-weight: 600;
  }
  :host([invalid]) .options {
    outline: 2px solid #b3261e;
    outline-offset: 4px;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;
