" Entitlements files are XML property lists: reuse XML highlighting.
if exists('b:current_syntax')
  finish
endif
runtime! syntax/xml.vim
let b:current_syntax = 'entitlements'
