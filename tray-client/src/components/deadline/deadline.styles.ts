import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .deadline {
    margin: 0 1rem;
    padding: 0.5rem 0.75rem;
    border-left: 4px solid var(--fixpoint-accent, #2563eb);
    background: #f1f5f9;
    color: #1e293b;
    font-size: 0.9rem;
  }
  p {
    margin: 0.15rem 0;
  }
  .countdown {
    font-weight: 700;
    font-variant-numeric: tabular-nums;
    color: #8a1c12;
  }
`;
