import { css } from 'lit';

export const styles = css`
  .options {
    display: flex;
    gap: 0.3rem;
    flex-wrap: wrap;
  }
  .option {
    min-width: 2.25rem;
    text-align: center;
  }
  .labels {
    display: flex;
    justify-content: space-between;
    font-size: 0.85em;
    color: #4b5563;
    margin-top: 0.3rem;
  }
`;
