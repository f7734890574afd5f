import { Component, Input, SecurityContext } from '@angular/core';
import { DomSanitizer, SafeHtml, SafeResourceUrl } from '@angular/platform-browser';

@Component({ selector: 'app-message', template: '<div [innerHTML]="content"></div>' })
export class MessageComponent {
  @Input() body!: string;
  content: SafeHtml = '';
  frameUrl: SafeResourceUrl | null = null;

  constructor(private sanitizer: DomSanitizer) {}

  render(): void {
    // ruleid: typescript.angular-bypass-security-trust
    this.content = this.sanitizer.bypassSecurityTrustHtml(this.body);
  }

  showStatement(url: string): void {
    // ruleid: typescript.angular-bypass-security-trust
    this.frameUrl = this.sanitizer.bypassSecurityTrustResourceUrl(url);
  }

  highlight(term: string): SafeHtml {
    // ruleid: typescript.angular-bypass-security-trust
    return this.sanitizer.bypassSecurityTrustHtml(`<mark>${term}</mark>`);
  }

  safeRender(): void {
    // ok: typescript.angular-bypass-security-trust
    this.content = this.sanitizer.sanitize(SecurityContext.HTML, this.body) ?? '';
  }

  safeStatic(): void {
    // ok: typescript.angular-bypass-security-trust
    this.frameUrl = this.sanitizer.bypassSecurityTrustResourceUrl('https://statements.bank.example/embed');
  }

  safeSanitized(): void {
    // ok: typescript.angular-bypass-security-trust
    this.content = this.sanitizer.bypassSecurityTrustHtml(this.sanitizer.sanitize(SecurityContext.HTML, this.body) ?? '');
  }
}
