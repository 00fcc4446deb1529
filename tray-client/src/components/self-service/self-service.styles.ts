import { css } from 'lit';
import { toolStyles } from '../shared/tool.styles';

export const styles = [
  toolStyles,
  css`
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.5rem;
    }
    ul button {
      width: 100%;
      text-align: left;
      padding: 0.6rem 0.8rem;
    }
    ul button strong {
      display: block;
    }
    ul button span {
      color: #374151;
      font-size: 0.9rem;
    }
    h2 {
      font-size: 1.1rem;
      margin: 0 0 0.5rem;
    }
    .actions {
      display: flex;
      gap: 0.5rem;
      margin-top: 1rem;
    }
    .status {
      margin-top: 1rem;
      min-height: 1.5em;
    }
    .status.bad {
      color: #b3261e;
    }
    .status.good {
      color: #166534;
    }
  `,
];
