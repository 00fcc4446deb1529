import { css } from 'lit';

export const styles = css`
  .options {
    display: grid;
    grid-template-columns: repeat(11, minmax(2rem, 1fr));
    gap: 0.25rem;
  }
  .option {
    text-align: center;
    padding-inline: 0;
  }
  .labels {
    display: flex;
    justify-content: space-between;
    font-size: 0.85em;
    color: #4b5563;
    margin-top: 0.3rem;
  }
`;
