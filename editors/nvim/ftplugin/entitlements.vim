" XML editing settings (comments, matchit pairs, omni completion).
if exists('b:did_ftplugin')
  finish
endif
runtime! ftplugin/xml.vim
