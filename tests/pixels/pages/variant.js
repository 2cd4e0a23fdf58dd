// Sets <html class="v-NAME"> from ?v=NAME so one page yields every variant of a screenshot pair.
document.documentElement.className = 'v-' + (new URLSearchParams(location.search).get('v') || 'base');
