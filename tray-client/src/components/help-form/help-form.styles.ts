import { css } from 'lit';
import { toolStyles } from '../shared/tool.styles';

export const styles = [
  toolStyles,
  css`
    :host {
      max-width: 34rem;
    }
    form {
      display: grid;
      gap: 0.6rem;
      padding: 1rem;
    }
    label {
      font-weight: 600;
    }
    input[type='text'],
    textarea {
      font: inherit;
      padding: 0.4rem 0.5rem;
      border: 1px solid #64748b;
      border-radius: 6px;
    }
    textarea {
      min-height: 6rem;
      resize: vertical;
    }
    input:focus-visible,
    textarea:focus-visible {
      outline: 3px solid #1d4ed8;
      outline-offset: 2px;
    }
    .check {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      font-weight: 400;
    }
    p.hint,
    .intro {
      margin: 0;
      color: #334155;
      font-size: 0.9rem;
    }
    img {
      max-width: 100%;
      max-height: 9rem;
      border: 1px solid #cbd5e1;
    }
    .error {
      color: #b3261e;
      margin: 0;
      min-height: 1.2em;
    }
    .status {
      margin: 0;
      color: #14532d;
      font-weight: 600;
    }
    nav {
      display: flex;
      gap: 0.5rem;
      justify-content: flex-end;
    }
  `,
];
