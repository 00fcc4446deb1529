import { css } from 'lit';
import { toolStyles } from '../shared/tool.styles';

export const styles = [
  toolStyles,
  css`
    .scroll {
      max-height: 60vh;
      overflow: auto;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      font-size: 0.92rem;
    }
    caption {
      text-align: left;
      color: #374151;
      padding-bottom: 0.5rem;
    }
    th,
    td {
      text-align: left;
      vertical-align: top;
      padding: 0.4rem 0.5rem;
      border-bottom: 1px solid #e5e7eb;
    }
    th {
      background: #f3f4f6;
      position: sticky;
      top: 0;
    }
    .params {
      display: block;
      color: #4b5563;
      font-size: 0.8rem;
      word-break: break-word;
    }
    .bad {
      color: #b3261e;
    }
    .good {
      color: #166534;
    }
    .toolbar {
      margin-top: 0.75rem;
    }
  `,
];
