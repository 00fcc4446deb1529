import { css } from 'lit';
import { buttonStyles, frameStyles } from '../shared/frame.styles';

export const styles = [
  frameStyles,
  buttonStyles,
  css`
    :host {
      max-width: 34rem;
    }
    header {
      display: flex;
      align-items: center;
      gap: 0.6rem;
      padding: 0.75rem 1rem;
      background: var(--fixpoint-accent);
      color: #fff;
    }
    header img {
      max-height: 2rem;
      max-width: 6rem;
    }
    h1 {
      font-size: 1.05rem;
      margin: 0;
      flex: 1;
    }
    .urgent {
      font-size: 0.75rem;
      font-weight: 700;
      text-transform: uppercase;
      background: #b3261e;
      padding: 0.15rem 0.4rem;
      border-radius: 4px;
    }
    .body {
      padding: 1rem;
      animation: enter 160ms ease-out;
    }
    .step {
      font-size: 0.8rem;
      color: #4b5563;
      margin: 0 0 0.5rem;
    }
    .step:focus {
      outline: none;
    }
    .error {
      color: #b3261e;
      min-height: 1.2em;
      margin: 0.5rem 0 0;
    }
    nav {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      padding: 0 1rem 1rem;
    }
    nav .spacer {
      flex: 1;
    }
    .final {
      padding: 1rem;
    }
    @keyframes enter {
      from {
        opacity: 0;
        transform: translateY(4px);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .body {
        animation: none;
      }
      * {
        transition: none !important;
      }
    }
  `,
];
