import { css } from 'lit';
import { buttonStyles, frameStyles } from './frame.styles';

/** What the tray's own windows (self-service, activity, help) share: the frame, header, buttons and focus rings. */
export const toolStyles = [
  frameStyles,
  buttonStyles,
  css`
    :host {
      max-width: 44rem;
      --fixpoint-accent: #1d4ed8;
    }
    header {
      padding: 0.75rem 1rem;
      background: var(--fixpoint-accent);
      color: #fff;
    }
    h1 {
      font-size: 1.05rem;
      margin: 0;
    }
    .body {
      padding: 1rem;
    }
    p.hint {
      color: #374151;
      margin: 0 0 0.75rem;
    }
    button:disabled {
      cursor: default;
      opacity: 0.7;
    }
    [tabindex='0']:focus-visible {
      outline: 3px solid var(--fixpoint-accent);
      outline-offset: 2px;
    }
    @media (prefers-reduced-motion: reduce) {
      * {
        transition: none !important;
        animation: none !important;
      }
    }
  `,
];
