import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 34rem;
    font-family: system-ui, -apple-system, 'Segoe UI', sans-serif;
    color: #111;
    background: #fff;
    border-radius: 10px;
    box-shadow: 0 6px 24px rgb(0 0 0 / 18%);
    overflow: hidden;
  }
  header {
    padding: 0.75rem 1rem;
    background: #1d4ed8;
    color: #fff;
  }
  h1 {
    font-size: 1.05rem;
    margin: 0;
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
  textarea:focus-visible,
  button:focus-visible {
    outline: 3px solid #1d4ed8;
    outline-offset: 2px;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    font-weight: 400;
  }
  .hint,
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
  button {
    font: inherit;
    padding: 0.45rem 0.9rem;
    border-radius: 6px;
    border: 1px solid #64748b;
    background: #fff;
    color: #111;
    cursor: pointer;
  }
  button.primary {
    background: #1d4ed8;
    border-color: #1d4ed8;
    color: #fff;
  }
  button[disabled] {
    opacity: 0.6;
    cursor: default;
  }
`;
