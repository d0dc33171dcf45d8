import '../shared/base.css';
import './partners.css';
import { render } from 'preact';
import { PartnerApp } from './partner-app';

const main = document.getElementById('main');
if (main) {
  main.replaceChildren();
  render(<PartnerApp />, main);
}
