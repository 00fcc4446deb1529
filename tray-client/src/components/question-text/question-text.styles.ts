import { css } from 'lit';

export const styles = css`
  textarea {
    box-sizing: border-box;
    width: 100%;
    min-height: 5.5rem;
    font: inherit;
    padding: 0.5rem;
    border: 1px solid #8a8f98;
    border-radius: 6px;
    resize: vertical;
  }
  :host([invalid]) textarea {
    border-color: #b3261e;
  }
  .counter {
    text-align: end;
    font-size: 0.8em;
    color: #4b5563;
  }
`;
